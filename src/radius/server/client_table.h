// ClientTable: the RADIUS clients (VPN gateways) obvpnd answers, as an immutable snapshot
// loaded from the store (SPEC §5 "Known clients only", §8 radius-client). Each client is
// a network (CIDR) and a shared secret, decrypted once at load time with the master key.
//
// A snapshot is never modified; RequestHandler swaps in a new one when the store's
// generation moves. Thread-safe (immutable).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "crypto/secret.h"
#include "crypto/secret_box.h"
#include "radius/server/address.h"
#include "store/store.h"

namespace obvpn::radius {

struct ClientEntry {
  std::string name;
  Cidr network;
  crypto::Secret secret;  // the RADIUS shared secret, never logged
  store::RequireMessageAuthenticator require_message_authenticator =
      store::RequireMessageAuthenticator::kYes;
};

class ClientTable {
 public:
  ClientTable() = default;
  explicit ClientTable(std::vector<ClientEntry> clients);

  // The client whose network contains `address`: the longest prefix wins, so a /32 for
  // one gateway overrides a /24 for its neighbours; among equal prefixes, the first by
  // name. nullptr when no client matches.
  const ClientEntry* Find(const IpAddress& address) const;

  size_t size() const { return clients_.size(); }
  const std::vector<ClientEntry>& clients() const { return clients_; }

 private:
  std::vector<ClientEntry> clients_;  // sorted by prefix length, longest first, then name
};

// A loaded table and the clients that had to be left out (named, with the reason; never
// the secret). A client is left out when its address does not parse or its secret cannot
// be opened with this master key (DataLoss): the others keep working.
struct LoadedClients {
  std::shared_ptr<const ClientTable> table;
  std::vector<std::string> problems;
};

// Reads every RADIUS client from `store` and opens each secret with
// box.Open(sealed_secret, "radius-client:" + name). Fails only when the store does.
Result<LoadedClients> LoadClientTable(store::Store& store, const crypto::SecretBox& box);

}  // namespace obvpn::radius
