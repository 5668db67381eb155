// Where certctl takes a PKCS#12 passphrase from: a file the user names (its
// first line), or the terminal with echo off. Never the command line, where
// every user of the machine could read it in ps.
#pragma once

#include <string>

namespace certd::cli {

// The first line of file, without its line end; "-" is standard input.
// std::runtime_error naming the file when it cannot be read.
std::string passphraseFromFile(const std::string& file);

// Asks on the controlling terminal (/dev/tty) with echo off, and restores
// the terminal also when interrupted. std::runtime_error when there is no
// terminal to ask on.
std::string askPassphrase(const std::string& prompt);

} // namespace certd::cli
