// certd --check-config: an administrator's check of certd.conf before a
// restart, like nginx -t. Valid: exit 0 and says so; invalid: exit 1 with
// FILE:LINE: and the reason. It touches no bus and no state directory.
#include "process.h"
#include "temp_dir.h"
#include "test_paths.h"

#include <gmock/gmock.h>

namespace certd::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

CommandResult checkConfig(const std::vector<std::string>& extra)
{
    std::vector<std::string> argv{certdBinary().string(), "--check-config"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    // No bus at all: the check must not need one.
    return runCommand(argv, {"DBUS_SYSTEM_BUS_ADDRESS=unix:path=/nonexistent"});
}

TEST(CheckConfig, ValidFileExitsZero)
{
    TempDir dir;
    writeTextFile(dir / "certd.conf", "[Access]\nAdminGroup=root\n\n[Expiry]\nWarnDays=30 7\n");
    const auto result = checkConfig({"--config", (dir / "certd.conf").string()});
    EXPECT_EQ(result.exitCode, 0) << result.err;
    EXPECT_THAT(result.out, HasSubstr("configuration is valid"));
}

TEST(CheckConfig, ErrorsNameFileLineAndReason)
{
    TempDir dir;
    const auto file = (dir / "certd.conf").string();
    writeTextFile(file, "[Access]\nAdminGroup=root\n[Expiry]\nWarnDayz=30\n");
    const auto result = checkConfig({"--config", file});
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_THAT(result.err, StartsWith("certd: " + file + ":4: "));
    EXPECT_THAT(result.err, HasSubstr("WarnDayz"));
    EXPECT_TRUE(result.out.empty());
}

TEST(CheckConfig, AMissingExplicitFileIsAnError)
{
    const auto result = checkConfig({"--config", "/nonexistent/certd.conf"});
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_THAT(result.err, HasSubstr("no such file"));
}

} // namespace
} // namespace certd::test
