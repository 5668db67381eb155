#include "base/error.h"
#include "base/state_directory.h"
#include "refusal.h"
#include "temp_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certd {
namespace {

using ::testing::HasSubstr;

TEST(StateDirectoryLock, SecondHolderIsRefused)
{
    test::TempDir dir;
    StateDirectoryLock first(dir.path());
    const auto refusal = test::refusalOf([&] { StateDirectoryLock second(dir.path()); });
    EXPECT_TRUE(refusal.refused);
    EXPECT_THAT(refusal.message, HasSubstr("Another certd is already using"));
}

TEST(StateDirectoryLock, IsFreeAgainOnceReleased)
{
    test::TempDir dir;
    { StateDirectoryLock first(dir.path()); }
    EXPECT_NO_THROW(StateDirectoryLock second(dir.path()));
}

TEST(StateDirectory, PreparingCreatesTheDirectoriesAndRemovesInterruptedWrites)
{
    test::TempDir dir;
    const StateLayout layout{dir / "state"};
    prepareStateDirectory(layout);
    EXPECT_EQ(test::infoOf(layout.privateDirectory()).mode, 0700u);
    EXPECT_TRUE(std::filesystem::is_directory(layout.caStore()));
    // The trust outputs' directories are the trust store's to make (it can serve without them).
    std::filesystem::create_directories(layout.trustDirectory());
    for (const auto& leftover : {layout.root / ".appliance-ca.pem.0123456789abcdef.tmp",
                                 layout.privateDirectory() / ".https.json.0123456789abcdef.tmp",
                                 layout.trustDirectory().parent_path() / ".ca-bundle.pem.0123456789abcdef.tmp"})
        test::writeTextFile(leftover, "interrupted");
    prepareStateDirectory(layout);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(layout.root))
        EXPECT_FALSE(entry.path().filename().string().ends_with(".tmp")) << entry.path();
}

} // namespace
} // namespace certd
