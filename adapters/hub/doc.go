// Package hub delivers alerts to the dashboards connected to this instance, with protoactor-go.
//
// One connection-manager actor owns the registry of live sockets (registry.go), keyed by admin
// account and sid (a sid is unique within one account) and indexed by shop; each socket is a
// child actor of it, spawned on Attach, that is also the socket's only writer of data frames and
// pings (its mailbox is the outbound queue). The pongs to a client's pings and the close frame
// are the socket's handler's, under the socket's own lock. Concurrency, in short:
//
//   - One ordered feed (feed.go) per instance reads the alert log after its cursor, in id order,
//     and hands each alert to the manager as one message, its JSON frame encoded once and shared.
//     It is woken by a local commit (Committed), by the PostgreSQL listener for other instances'
//     commits, and by a timer that covers a lost wake-up. Because the log makes ids visible in id
//     order, the manager sees every alert once and in order.
//   - The manager forwards a frame to the children that take it and counts, per child, the
//     frames not yet written. Past the queue limit it closes that socket with 4008; nobody else
//     waits for it, and nothing on the HTTP path ever waits for a socket. It keeps its sockets
//     by shop (index.go): an alert visits the sockets of its shop and those of platform staff
//     who named no shop, and of those only the ones that take its kind (?events=1 for kinds
//     other than 1 and 2). A child therefore never receives another shop's frame, nor one of
//     a kind it did not ask for: other shops' traffic costs it nothing and never counts
//     against its queue limit.
//   - A child is registered before it reads its backlog: it replays the log after the client's
//     lastAlertId one page per message to itself, so between pages it handles its mailbox. Live
//     frames that arrive meanwhile are dropped — each was committed before the feed read it, and
//     a page is still to be read after it — so a backlog of any size never counts against the
//     queue limit. Once a page comes back short, live frames are written, skipping ids already
//     sent. No alert is lost at that seam and none is sent twice.
//   - Every ping interval the manager asks every child for a ping; a socket opened with
//     ?heartbeat=1 gets a {"type":0} frame in addition, never instead: the pong is what keeps
//     the server's read deadline open.
//   - A child that panics is stopped by its supervisor; the manager learns of it (Terminated),
//     closes its socket with 1011 and forgets it. Only the manager stops children.
//   - Revoke (revoke.go) is one message to the manager with a check that answers from memory: it
//     closes with 4401 every socket whose credential fails it, and keeps it for the sockets that
//     connect later, whose upgrade may have passed just before the revocation.
//   - The socket itself (application.DashboardSocket) guards the connection: once its handler
//     has ended, writes fail without touching the pooled connection.
package hub
