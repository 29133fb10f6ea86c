// The web UI's files are served, and nothing outside the web root ever is.
#include "http/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace accompany {
namespace {

namespace fs = std::filesystem;

std::string header(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers)
    if (key == name) return value;
  return "";
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("static-test-" + std::to_string(getpid()));
    fs::create_directories(base_ / "dist" / "assets");
    std::ofstream(base_ / "dist" / "index.html") << "<html>app</html>";
    std::ofstream(base_ / "dist" / "assets" / "app-1234.js") << "console.log(1)";
    std::ofstream(base_ / "secret.txt") << "not for the web";
    auto files = StaticFiles::open(base_ / "dist");
    ASSERT_TRUE(files) << files.error().describe();
    files_.emplace(*files);
  }
  void TearDown() override { fs::remove_all(base_); }

  Response get(const std::string& target) {
    Request request;
    request.method = "GET";
    if (!request.set_target(target)) return problem_response(400, "Bad request", target);
    return files_->serve(request);
  }

  fs::path base_;
  std::optional<StaticFiles> files_;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndCaching) {
  auto script = get("/assets/app-1234.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.body, "console.log(1)");
  EXPECT_EQ(script.content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(header(script, "Cache-Control").find("immutable"), std::string::npos);
  auto index = get("/");
  EXPECT_EQ(index.body, "<html>app</html>");
  EXPECT_EQ(header(index, "Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, AppRoutesGetIndexButMissingAssetsAre404) {
  EXPECT_EQ(get("/lookup").body, "<html>app</html>");
  EXPECT_EQ(get("/assets/missing.js").status, 404);
  EXPECT_EQ(get("/favicon.ico").status, 404);
}

TEST_F(StaticFilesTest, NeverServesOutsideTheRoot) {
  for (const char* target :
       {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt", "//etc/passwd", "/%00index.html"}) {
    auto response = get(target);
    EXPECT_NE(response.body, "not for the web") << target;
    EXPECT_EQ(response.body.find("root:"), std::string::npos) << target;
  }
  EXPECT_EQ(get("/../secret.txt").status, 404);
}

TEST_F(StaticFilesTest, ARootWithoutIndexIsRefusedClearly) {
  auto missing = StaticFiles::open(base_ / "nowhere");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("run `make build`"), std::string::npos);
}

}  // namespace
}  // namespace accompany
