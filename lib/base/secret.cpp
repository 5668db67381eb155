#include "base/secret.h"

#include <string.h>

namespace certd {

void wipe(std::string& text)
{
    // explicit_bzero: a plain memset before the memory is freed may be
    // optimised away.
    ::explicit_bzero(text.data(), text.size());
    text.clear();
}

Secret::~Secret()
{
    wipe(text_);
}

} // namespace certd
