// Timing, result tables and CA stores of any size, for certd-bench.
#pragma once

#include "temp_dir.h"

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace certd::bench {

using Clock = std::chrono::steady_clock;
using Milliseconds = std::chrono::duration<double, std::milli>;

// Runs action count times; the median duration in milliseconds.
double medianMs(int count, const std::function<void()>& action);
double timeMs(const std::function<void()>& action);
double median(std::vector<double> values);

struct Row {
    std::string measurement;
    double value;         // in unit
    std::string unit;
    std::string baseline; // what value is compared with, measured in this run
    double baselineValue; // same unit; 0 when there is none
    std::string target;
    bool met;
};

void printTable(const std::vector<Row>& rows);

// count distinct CA certificates as PEM (EC P-256, generated in memory).
std::vector<std::string> generateCaPems(std::size_t count, const std::string& namePrefix);

// Writes pems[0..count) into directory as "<n>.pem".
void writePems(const std::filesystem::path& directory, const std::vector<std::string>& pems, std::size_t count);

// Flushes dirty data and gives the disk a moment, so that the timed run
// does not pay for writes (or discards of deleted files) made before it.
void settleFileSystem();

// Resident set size of a process (VmRSS, or with anonymousOnly RssAnon:
// the private part, without shared library pages), in MiB.
double residentMiB(pid_t pid, bool anonymousOnly = false);

} // namespace certd::bench
