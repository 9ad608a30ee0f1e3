// FaultInjectingStore: a Store decorator for failure tests (leveldb's fault-injection env
// idea). It forwards every call to the real store unless the control file names the
// class of operation to fail: "read", "write" or "all" (first word of the file). A
// failed call returns Unavailable, exactly as a real store outage does, and does not
// reach the real store, so nothing changes.
//
// Enabled only when obvpnd runs with OBVPN_TEST_FAULT_FILE set; the file is re-read on
// every call, so a test flips faults on and off while the daemon runs. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace obvpn::store {

std::unique_ptr<Store> MakeFaultInjectingStore(std::unique_ptr<Store> inner,
                                               std::string control_file);

}  // namespace obvpn::store
