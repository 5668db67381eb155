#include "message_flags.h"

#include "raw_message.h"

namespace certd {

bool allowsInteractiveAuthorization(const sdbus::Message& message)
{
    sd_bus_message* raw = RawMessage::of(message);
    return raw && sd_bus_message_get_allow_interactive_authorization(raw) > 0;
}

void allowInteractiveAuthorization(sdbus::Message& message)
{
    if (sd_bus_message* raw = RawMessage::of(message))
        sd_bus_message_set_allow_interactive_authorization(raw, 1);
}

} // namespace certd
