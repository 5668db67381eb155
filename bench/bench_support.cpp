#include "bench_support.h"

#include "x509/certificate_input.h"
#include "test_certificates.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include <unistd.h>

namespace certd::bench {

double timeMs(const std::function<void()>& action)
{
    const auto start = Clock::now();
    action();
    return Milliseconds(Clock::now() - start).count();
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const auto n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

double medianMs(int count, const std::function<void()>& action)
{
    std::vector<double> durations;
    for (int i = 0; i < count; ++i)
        durations.push_back(timeMs(action));
    return median(durations);
}

void printTable(const std::vector<Row>& rows)
{
    std::printf("\n%-44s %12s   %-44s %12s %8s   %-22s %s\n", "measurement", "certd", "baseline (same run)",
                "baseline", "ratio", "target", "");
    std::printf("%s\n", std::string(160, '-').c_str());
    for (const auto& row : rows) {
        char value[32], baseline[32], ratio[16];
        std::snprintf(value, sizeof value, "%.3f %s", row.value, row.unit.c_str());
        if (row.baselineValue > 0) {
            std::snprintf(baseline, sizeof baseline, "%.3f %s", row.baselineValue, row.unit.c_str());
            std::snprintf(ratio, sizeof ratio, "%.2fx", row.value / row.baselineValue);
        } else {
            std::snprintf(baseline, sizeof baseline, "-");
            std::snprintf(ratio, sizeof ratio, "-");
        }
        std::printf("%-44s %12s   %-44s %12s %8s   %-22s %s\n", row.measurement.c_str(), value,
                    row.baseline.c_str(), baseline, ratio, row.target.c_str(), row.met ? "met" : "NOT MET");
    }
    std::printf("\n");
}

std::vector<std::string> generateCaPems(std::size_t count, const std::string& namePrefix)
{
    std::vector<std::string> pems;
    pems.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
        pems.push_back(test::makeCa(namePrefix + " " + std::to_string(i)).pem());
    return pems;
}

void writePems(const std::filesystem::path& directory, const std::vector<std::string>& pems, std::size_t count)
{
    std::filesystem::create_directories(directory);
    for (std::size_t i = 0; i < count && i < pems.size(); ++i)
        test::writeTextFile(directory / (std::to_string(i) + ".pem"), pems[i]);
}

void settleFileSystem()
{
    ::sync();
    std::this_thread::sleep_for(std::chrono::seconds(1));
}

double residentMiB(pid_t pid, bool anonymousOnly)
{
    const std::string field = anonymousOnly ? "RssAnon:" : "VmRSS:";
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.starts_with(field))
            return std::stod(line.substr(field.size())) / 1024.0;
    return -1;
}

} // namespace certd::bench
