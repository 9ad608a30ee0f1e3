// UdpServer: a real loopback socket on port 0, one Status-Server round trip, and a
// shutdown that lets io_context::run() return.
#include "radius/server/udp_server.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <thread>

#include "radius/packet/packet.h"
#include "store/sqlite_store.h"

namespace obvpn::radius {
namespace {

namespace asio = boost::asio;
using asio::ip::udp;

constexpr char kSecret[] = "s3cret-shared-key";

class UdpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "obvpn_udp_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    store::SqliteOptions o;
    o.path = dir_ + "/obvpn.db";
    auto opened = store::OpenSqliteStore(o);
    ASSERT_TRUE(opened.ok());
    store_ = std::move(opened).value();
    auto box = crypto::SecretBox::FromKey(crypto::Secret(std::string(32, 'k')));
    ASSERT_TRUE(box.ok());
    box_ = std::make_unique<crypto::SecretBox>(std::move(box).value());
    store::RadiusClient c;
    c.name = "local";
    c.address = "127.0.0.1/32";
    c.sealed_secret = box_->Seal(kSecret, "radius-client:local");
    ASSERT_TRUE(store_->AddRadiusClient(c).ok());
    handler_ = std::make_unique<RequestHandler>(
        *store_, *box_, SystemClock::Instance(),
        [](std::function<void()> job) {
          job();
          return true;
        },
        nullptr, HandlerOptions{});
    ASSERT_TRUE(handler_->Refresh().ok());
  }
  void TearDown() override {
    handler_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<crypto::SecretBox> box_;
  std::unique_ptr<RequestHandler> handler_;
};

TEST_F(UdpServerTest, AnswersStatusServerOnLoopbackAndStopsOnShutdown) {
  asio::io_context io;
  UdpServer server(io, *handler_, Listener::kAuthentication);
  auto ep = server.Listen("127.0.0.1", 0);
  ASSERT_TRUE(ep.ok()) << ep.status().ToString();
  EXPECT_NE(ep->port(), 0);
  std::thread runner([&io] { io.run(); });

  asio::io_context client_io;
  udp::socket client(client_io, udp::endpoint(udp::v4(), 0));
  // A bounded wait, so a broken server fails the test instead of hanging it.
  timeval tv{10, 0};
  ::setsockopt(client.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  Authenticator auth{};
  auth[0] = 42;
  auto request = EncodeStatusServer(5, auth, {}, kSecret);
  ASSERT_TRUE(request.ok());
  client.send_to(asio::buffer(*request), *ep);
  std::array<char, 4096> buf{};
  udp::endpoint from;
  boost::system::error_code ec;
  const size_t n = client.receive_from(asio::buffer(buf), from, 0, ec);
  ASSERT_FALSE(ec) << ec.message();
  CheckResult reply = Check(std::string_view(buf.data(), n));
  ASSERT_TRUE(reply.ok());
  CheckResult sent = Check(*request);
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(reply.packet().code, Code::kAccessAccept);
  EXPECT_EQ(VerifyReply(reply.packet(), sent.packet(), kSecret, {true}), std::nullopt);
  EXPECT_EQ(from, *ep);

  server.Shutdown();
  runner.join();  // returns: nothing keeps the io_context busy after shutdown
  EXPECT_EQ(server.stats().datagrams_received.load(), 1u);
  EXPECT_EQ(server.stats().replies_sent.load(), 1u);
}

TEST_F(UdpServerTest, ListenOnBadHostFails) {
  asio::io_context io;
  UdpServer server(io, *handler_, Listener::kAccounting);
  EXPECT_EQ(server.Listen("not-an-ip", 0).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace obvpn::radius
