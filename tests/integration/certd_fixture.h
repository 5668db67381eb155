// A private bus with certd running on it, and a client connected to both.
#pragma once

#include "certd_client.h"
#include "certd_process.h"
#include "test_certificates.h"

#include <gtest/gtest.h>

namespace certd::test {

class CertdFixture : public ::testing::Test {
protected:
    explicit CertdFixture(TestBus::Policy policy = TestBus::Policy::Open, const std::string& extraPolicy = {})
        : bus_(policy, extraPolicy)
    {
    }

    void SetUp() override { start(); }

    void start()
    {
        manager_.reset(); // proxies before the connection they use
        connection_.reset();
        certd_ = std::make_unique<CertdProcess>(bus_, options());
        connection_ = bus_.connect();
        manager_ = std::make_unique<ManagerProxy>(*connection_);
    }

    // SIGTERM, and the exit status must be 0.
    void stop()
    {
        manager_.reset();
        connection_.reset();
        ASSERT_EQ(certd_->stop(), 0) << certd_->log();
        certd_.reset();
    }

    void restart()
    {
        stop();
        start();
    }

    virtual CertdOptions options() { return {state(), config_, {}, {}, wrapper_}; }

    std::filesystem::path state() const { return dir_ / "state"; }
    std::filesystem::path certdLogFile() const { return certd_->logFile(); }
    std::filesystem::path caStore() const { return state() / "ca"; }

    std::unique_ptr<CaProxy> caObject(const std::string& path) { return std::make_unique<CaProxy>(*connection_, path); }
    static std::string caPath(const TestCertificate& cert) { return bus::caObjectPath(cert.fingerprint()); }

    std::string import(const TestCertificate& cert) { return manager_->ImportCACertificate(bytesOf(cert.pem())); }

    // Object paths of every published CA.
    std::vector<std::string> caPaths()
    {
        std::vector<std::string> paths;
        for (const auto& [path, interfaces] : manager_->GetManagedObjects())
            if (interfaces.contains(bus::caInterface))
                paths.push_back(path);
        return paths;
    }

    TempDir dir_;
    TestBus bus_;
    std::string config_;
    std::vector<std::string> wrapper_; // e.g. {"unshare", "--uts"}
    std::unique_ptr<CertdProcess> certd_;
    std::unique_ptr<sdbus::IConnection> connection_;
    std::unique_ptr<ManagerProxy> manager_;
};

} // namespace certd::test
