// Replays fuzz corpora through a libFuzzer entry point without libFuzzer (cpp-httplib's
// standalone runner idea), so every CI build exercises the targets on their seeds with
// the ordinary compiler. Arguments are files or directories; files ending in ".hex" are
// hex text (whitespace ignored) and are decoded first.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

bool HexDecode(const std::string& text, std::string& out) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  int hi = -1;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    const int v = nibble(c);
    if (v < 0) return false;
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<char>(hi * 16 + v));
      hi = -1;
    }
  }
  return hi < 0;
}

bool RunFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (p.extension() == ".hex") {
    std::string decoded;
    if (!HexDecode(bytes, decoded)) {
      std::fprintf(stderr, "bad hex file: %s\n", p.c_str());
      return false;
    }
    bytes.swap(decoded);
  }
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  size_t n = 0;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg(argv[i]);
    if (std::filesystem::is_directory(arg)) {
      std::vector<std::filesystem::path> files;
      for (const auto& e : std::filesystem::recursive_directory_iterator(arg)) {
        if (e.is_regular_file() && e.path().extension() != ".md" && e.path().extension() != ".py" &&
            e.path().extension() != ".js") {
          files.push_back(e.path());
        }
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) ok = RunFile(f) && ok, ++n;
    } else if (std::filesystem::is_regular_file(arg)) {
      ok = RunFile(arg) && ok;
      ++n;
    } else {
      std::fprintf(stderr, "no such corpus: %s\n", argv[i]);
      return 2;
    }
  }
  std::printf("replayed %zu inputs\n", n);
  if (n == 0) return 2;  // an empty corpus tests nothing
  return ok ? 0 : 1;
}
