// Metrics: the Prometheus text exposition format 0.0.4 as promtool reads it.
#include "app/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>
#include <string>

namespace obvpn::app {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(Metrics, RendersHelpAndTypeForADescribedCounter) {
  Metrics m;
  m.Describe("obvpn_things_total", Metrics::Type::kCounter, "Things seen.");
  m.Add("obvpn_things_total", Metrics::Labels({{"kind", "a"}}), 2);
  const std::string out = m.Render();
  EXPECT_TRUE(Contains(out,
                       "# HELP obvpn_things_total Things seen.\n"
                       "# TYPE obvpn_things_total counter\n"
                       "obvpn_things_total{kind=\"a\"} 2\n"))
      << out;
}

TEST(Metrics, RendersADescribedFamilyWithoutSeries) {
  Metrics m;
  m.Describe("obvpn_none_total", Metrics::Type::kCounter, "Nothing yet.");
  EXPECT_EQ(m.Render(), "# HELP obvpn_none_total Nothing yet.\n# TYPE obvpn_none_total counter\n");
}

TEST(Metrics, AddAccumulatesPerLabelSet) {
  Metrics m;
  m.Add("obvpn_x_total", Metrics::Labels({{"r", "a"}}));
  m.Add("obvpn_x_total", Metrics::Labels({{"r", "a"}}));
  m.Add("obvpn_x_total", Metrics::Labels({{"r", "b"}}));
  const std::string out = m.Render();
  EXPECT_TRUE(Contains(out, "obvpn_x_total{r=\"a\"} 2\n")) << out;
  EXPECT_TRUE(Contains(out, "obvpn_x_total{r=\"b\"} 1\n")) << out;
}

TEST(Metrics, SeriesWithoutLabelsHaveNoBraces) {
  Metrics m;
  m.Add("obvpn_y_total", "");
  EXPECT_TRUE(Contains(m.Render(), "\nobvpn_y_total 1\n"));
}

TEST(Metrics, LabelValuesAreEscaped) {
  EXPECT_EQ(Metrics::Labels({{"a", "x\"y\\z\nw"}, {"b", "ok"}}), R"(a="x\"y\\z\nw",b="ok")");
}

TEST(Metrics, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Metrics m;
  m.Describe("obvpn_wait_seconds", Metrics::Type::kHistogram, "Wait.");
  m.Observe("obvpn_wait_seconds", "", 0.0004);  // first bucket
  m.Observe("obvpn_wait_seconds", "", 0.003);   // le 0.005
  m.Observe("obvpn_wait_seconds", "", 100);     // beyond the last bound
  const std::string out = m.Render();
  EXPECT_TRUE(Contains(out, "obvpn_wait_seconds_bucket{le=\"0.0005\"} 1\n")) << out;
  EXPECT_TRUE(Contains(out, "obvpn_wait_seconds_bucket{le=\"0.0025\"} 1\n")) << out;
  EXPECT_TRUE(Contains(out, "obvpn_wait_seconds_bucket{le=\"0.005\"} 2\n")) << out;
  EXPECT_TRUE(Contains(out, "obvpn_wait_seconds_bucket{le=\"10\"} 2\n")) << out;
  EXPECT_TRUE(Contains(out, "obvpn_wait_seconds_bucket{le=\"+Inf\"} 3\n")) << out;
  EXPECT_TRUE(Contains(out, "obvpn_wait_seconds_sum 100.0034\n")) << out;
  EXPECT_TRUE(Contains(out, "obvpn_wait_seconds_count 3\n")) << out;
}

TEST(Metrics, HistogramLabelsPrecedeLe) {
  Metrics m;
  m.Observe("obvpn_d_seconds", Metrics::Labels({{"api", "v2"}}), 0.001);
  const std::string out = m.Render();
  EXPECT_TRUE(Contains(out, "obvpn_d_seconds_bucket{api=\"v2\",le=\"0.001\"} 1\n")) << out;
  EXPECT_TRUE(Contains(out, "obvpn_d_seconds_count{api=\"v2\"} 1\n")) << out;
}

TEST(Metrics, ObserveRequestCountsByApiActionAndCode) {
  Metrics m;
  m.ObserveRequest("v2", "GetOutBandVPNAuthInfo", 4100, 0.002);
  const std::string out = m.Render();
  EXPECT_TRUE(Contains(
      out,
      "obvpn_api_requests_total{api=\"v2\",action=\"GetOutBandVPNAuthInfo\",code=\"4100\"} 1\n"))
      << out;
  EXPECT_TRUE(Contains(out,
                       "obvpn_api_request_duration_seconds_count{api=\"v2\",action="
                       "\"GetOutBandVPNAuthInfo\"} 1\n"))
      << out;
}

TEST(Metrics, ObserveRequestAddsUpAndEscapesOddValues) {
  Metrics m;
  for (int i = 0; i < 3; ++i) m.ObserveRequest("v2", "GetOutBandVPNAuthInfo", 0, 0.0001);
  m.ObserveRequest("v2", "Get\"Odd", 0, 2.0);
  const std::string out = m.Render();
  EXPECT_TRUE(Contains(
      out, "obvpn_api_requests_total{api=\"v2\",action=\"GetOutBandVPNAuthInfo\",code=\"0\"} 3\n"))
      << out;
  EXPECT_TRUE(
      Contains(out, "obvpn_api_requests_total{api=\"v2\",action=\"Get\\\"Odd\",code=\"0\"} 1\n"))
      << out;
  EXPECT_TRUE(Contains(out,
                       "obvpn_api_request_duration_seconds_bucket{api=\"v2\",action="
                       "\"GetOutBandVPNAuthInfo\",le=\"0.0005\"} 3\n"))
      << out;
}

TEST(Metrics, GaugeSetReplacesTheValue) {
  Metrics m;
  m.Set("obvpn_g", "", 5);
  m.Set("obvpn_g", "", 1.5);
  const std::string out = m.Render();
  EXPECT_TRUE(Contains(out, "# TYPE obvpn_g gauge\nobvpn_g 1.5\n")) << out;
}

TEST(Metrics, CallbackIsReadAtRenderTime) {
  Metrics m;
  double v = 1;
  m.AddCallback("obvpn_cb", Metrics::Type::kGauge, "A callback.",
                [&v]() -> std::optional<double> { return v; });
  v = 7;
  EXPECT_TRUE(Contains(m.Render(), "obvpn_cb 7\n"));
}

TEST(Metrics, CallbackWithoutValueLeavesTheSeriesOut) {
  Metrics m;
  m.AddCallback("obvpn_cb", Metrics::Type::kGauge, "A callback.",
                []() -> std::optional<double> { return std::nullopt; });
  EXPECT_EQ(m.Render(), "# HELP obvpn_cb A callback.\n# TYPE obvpn_cb gauge\n");
}

// Regression: a callback whose store read failed counted a store error into the same
// registry and deadlocked the scrape.
TEST(Metrics, CallbackMayReportToTheRegistry) {
  Metrics m;
  m.AddCallback("obvpn_cb", Metrics::Type::kGauge, "A callback.", [&m]() -> std::optional<double> {
    m.Add("obvpn_store_errors_total", "");
    return std::nullopt;
  });
  (void)m.Render();
  // The second scrape shows what the first one's callback added.
  EXPECT_TRUE(Contains(m.Render(), "obvpn_store_errors_total 1\n"));
}

TEST(Metrics, SpecialValuesAreSpelledAsTheFormatRequires) {
  Metrics m;
  m.Set("obvpn_inf", "", std::numeric_limits<double>::infinity());
  m.Set("obvpn_nan", "", std::nan(""));
  const std::string out = m.Render();
  EXPECT_TRUE(Contains(out, "obvpn_inf +Inf\n")) << out;
  EXPECT_TRUE(Contains(out, "obvpn_nan NaN\n")) << out;
}

TEST(Metrics, HelpTextIsEscaped) {
  Metrics m;
  m.Describe("obvpn_h", Metrics::Type::kGauge, "a\\b\nc");
  EXPECT_TRUE(Contains(m.Render(), "# HELP obvpn_h a\\\\b\\nc\n"));
}

TEST(Metrics, FamiliesRenderInNameOrder) {
  Metrics m;
  m.Add("obvpn_b_total", "");
  m.Add("obvpn_a_total", "");
  const std::string out = m.Render();
  EXPECT_LT(out.find("obvpn_a_total"), out.find("obvpn_b_total"));
}

TEST(Metrics, BuildVersionIsSet) { EXPECT_FALSE(BuildVersion().empty()); }

}  // namespace
}  // namespace obvpn::app
