// What sdbus-c++ 1.2 does not expose of a D-Bus message's header.
#pragma once

namespace sdbus {
class Message;
}

namespace certd {

// Whether the caller allows interactive authorization for this call (the
// header flag: `busctl --allow-interactive-authorization`, certctl).
bool allowsInteractiveAuthorization(const sdbus::Message& message);

// Sets that flag on an outgoing call.
void allowInteractiveAuthorization(sdbus::Message& message);

} // namespace certd
