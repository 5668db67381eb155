// Precompiled for daemon/: the heavy headers nearly every file includes.
#include <sdbus-c++/sdbus-c++.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>
