// NotificationResponse ('A'): LISTEN/NOTIFY delivery on a pgwire connection. A session's inbox
// (session/notifications.h) is drained when the session is idle (not in a transaction block),
// as PostgreSQL delivers: before ReadyForQuery after a statement, or right away on an idle
// connection, whose backend the inbox wakes (Backend::NotificationArrived).
#pragma once

#include <string>

#include "plexus/session/session.h"

namespace plexus::server::pgwire {

// Appends a NotificationResponse per queued notification when `session` is idle.
void AppendNotificationResponses(session::Session& session, std::string* out);

}  // namespace plexus::server::pgwire
