// RunOnPool: runs a blocking job (an argon2id hash and its store write) on the HashPool
// and resumes the calling coroutine on its own executor with the job's result. An empty
// optional means the pool refused the job (queue full): the caller answers "busy".
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "password/hash_pool.h"

namespace obvpn::http {

template <class Fn, class R = std::invoke_result_t<Fn&>>
boost::asio::awaitable<std::optional<R>> RunOnPool(password::HashPool& pool, Fn fn) {
  namespace asio = boost::asio;
  auto ex = co_await asio::this_coro::executor;
  auto job = std::make_shared<Fn>(std::move(fn));
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(std::optional<R>)>(
      [&pool, job, ex](auto handler) {
        using Handler = decltype(handler);
        auto h = std::make_shared<Handler>(std::move(handler));
        // The work guard keeps io_context::run() from returning while the job runs.
        auto guard = std::make_shared<asio::executor_work_guard<decltype(ex)>>(ex);
        const bool queued = pool.TrySubmit([h, job, ex, guard]() {
          auto result = std::make_shared<std::optional<R>>((*job)());
          asio::post(ex, [h, result, guard]() mutable {
            (*h)(std::move(*result));
            guard->reset();
          });
        });
        if (!queued) {
          asio::post(ex, [h, guard]() mutable {
            (*h)(std::optional<R>());
            guard->reset();
          });
        }
      },
      asio::use_awaitable);
}

}  // namespace obvpn::http
