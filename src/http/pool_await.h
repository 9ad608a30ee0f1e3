// RunOnPool: runs a blocking job (an argon2id hash and its store write) on the HashPool
// and resumes the calling coroutine on its own executor with the job's result. An empty
// optional means the pool refused the job (queue full): the caller answers "busy".
//
// Deliberately not a coroutine itself: GCC 12 destroys some temporaries of a co_await
// operand twice when they are moved into a coroutine's frame (observed as a double free
// of the job's captures). Call it with a named job: `auto job = ...; co_await
// RunOnPool(pool, std::move(job));`.
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "password/hash_pool.h"

namespace obvpn::http {

template <class Fn, class R = std::invoke_result_t<Fn&>>
auto RunOnPool(password::HashPool& pool, Fn fn) {
  namespace asio = boost::asio;
  auto job = std::make_shared<Fn>(std::move(fn));
  return asio::async_initiate<decltype(asio::use_awaitable), void(std::optional<R>)>(
      [&pool, job](auto handler) {
        using Handler = decltype(handler);
        auto ex = asio::get_associated_executor(handler);
        auto h = std::make_shared<Handler>(std::move(handler));
        // The work guard keeps io_context::run() from returning while the job runs. It is
        // released on the worker, last: once run() may return, main() destroys the
        // io_context, so nothing the worker still holds may refer to it afterwards (a
        // strand executor's destructor locks its service). Hence the job, the handler and
        // the executor copy are dropped first, and the guard is on the io_context's own
        // executor (a pointer; its release is its last access). Every coroutine of obvpn
        // runs on an io_context.
        auto& io = static_cast<asio::io_context&>(asio::query(ex, asio::execution::context));
        auto guard = std::make_shared<asio::executor_work_guard<asio::io_context::executor_type>>(
            io.get_executor());
        const bool queued = pool.TrySubmit([h, job, ex, guard]() mutable {
          auto result = std::make_shared<std::optional<R>>((*job)());
          job.reset();
          {
            auto post_ex = std::move(ex);
            asio::post(post_ex, [h = std::move(h), result]() mutable {
              std::move (*h)(std::move(*result));
            });
          }
          guard.reset();
        });
        if (!queued) {
          asio::post(ex, [h, guard]() mutable {
            std::move (*h)(std::optional<R>());
            guard->reset();
          });
        }
      },
      asio::use_awaitable);
}

}  // namespace obvpn::http
