// Internal to obvpn (crypto and password): libsodium must be initialised once before
// its randomness and its CPU-dispatched primitives (AEAD, argon2) are used.
#pragma once

namespace obvpn::crypto {

// Calls sodium_init() exactly once per process, thread-safely; aborts the process if
// libsodium cannot initialise (no secure randomness: nothing safe can run).
void EnsureSodiumInitialized();

}  // namespace obvpn::crypto
