#include "radius/server/client_table.h"

#include <algorithm>
#include <utility>

namespace obvpn::radius {

ClientTable::ClientTable(std::vector<ClientEntry> clients) : clients_(std::move(clients)) {
  std::stable_sort(clients_.begin(), clients_.end(),
                   [](const ClientEntry& a, const ClientEntry& b) {
                     if (a.network.prefix != b.network.prefix) {
                       return a.network.prefix > b.network.prefix;
                     }
                     return a.name < b.name;
                   });
}

const ClientEntry* ClientTable::Find(const IpAddress& address) const {
  for (const ClientEntry& c : clients_) {
    if (c.network.Contains(address)) return &c;
  }
  return nullptr;
}

Result<LoadedClients> LoadClientTable(store::Store& store, const crypto::SecretBox& box) {
  OBVPN_ASSIGN_OR_RETURN(std::vector<store::RadiusClient> rows, store.ListRadiusClients());
  LoadedClients out;
  std::vector<ClientEntry> entries;
  for (const store::RadiusClient& row : rows) {
    auto network = Cidr::Parse(row.address);
    if (!network.ok()) {
      out.problems.push_back("RADIUS client '" + row.name + "': " + network.status().message());
      continue;
    }
    // The associated data binds the sealed secret to the client's name (SPEC §6), so a
    // secret copied onto another row does not open.
    auto secret = box.Open(row.sealed_secret, "radius-client:" + row.name);
    if (!secret.ok()) {
      out.problems.push_back("RADIUS client '" + row.name +
                             "': its shared secret cannot be decrypted with this master key");
      continue;
    }
    if (secret->empty()) {
      out.problems.push_back("RADIUS client '" + row.name + "': its shared secret is empty");
      continue;
    }
    entries.push_back(ClientEntry{row.name, *network, std::move(secret).value(),
                                  row.require_message_authenticator});
  }
  out.table = std::make_shared<const ClientTable>(std::move(entries));
  return out;
}

}  // namespace obvpn::radius
