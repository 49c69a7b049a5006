package io.github.orderstock.benchmark.http;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The wrk Lua script that POSTs orders. Each order id is unique across runs, threads and requests: the run's prefix
 * (given as the script's argument), the wrk thread's number and a per-thread counter, e.g. {@code k3x9-c64-2-1017}.
 * Orders of quantity 1 go round-robin over the given products.
 * <p>
 * Given a file as its second argument, the script also writes down every answer: when it arrived and how long after
 * its request (matched by the order id in the 201's body; an answer without one has latency -1), on the monotonic
 * clock in milliseconds, after a line {@code start <first request> duration <µs>}. wrk itself only prints totals;
 * {@link WrkAnswers} reads the file into the run's second-by-second timeline.
 */
public final class WrkScript {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private WrkScript() {
    }

    /**
     * @param productIds the products to order from (they must exist with enough stock)
     * @return the script; run it as {@code wrk -s script URL -- <run prefix> [<answers file>]}
     */
    public static String forOrders(List<String> productIds) {
        if (productIds.isEmpty()) {
            throw new IllegalArgumentException("at least one product is needed");
        }
        for (String id : productIds) {
            requireId(id);
        }
        String products = productIds.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(", "));
        return """
                -- Written by the order-stock benchmark: POST /orders, every order id unique.
                -- Order id: <run prefix from the arguments>-<wrk thread number>-<request counter of that thread>.
                -- Arguments: <run prefix> [<file to write every answer to>].
                local ffi = require("ffi")
                ffi.cdef[[
                typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
                int clock_gettime(int clock, bench_timespec *ts);
                ]]
                local now_ts = ffi.new("bench_timespec")
                local function now_ms()
                  ffi.C.clock_gettime(1, now_ts) -- CLOCK_MONOTONIC
                  return tonumber(now_ts.tv_sec) * 1000 + tonumber(now_ts.tv_nsec) / 1e6
                end

                local products = { %s }
                local next_thread = 1
                local threads = {}

                -- Runs in wrk's main Lua state, once per thread, before the thread's init().
                function setup(thread)
                  thread:set("thread_number", next_thread)
                  next_thread = next_thread + 1
                  table.insert(threads, thread)
                end

                local prefix = "run"
                local counter = 0
                local sent = {}
                -- Globals, so that done() can read them from each thread: answer time, latency, answer time, ...
                answers = {}
                first_sent = nil
                record_to = nil

                function init(args)
                  if args[1] ~= nil then prefix = args[1] end
                  record_to = args[2]
                  prefix = prefix .. "-" .. tostring(thread_number or 0) .. "-"
                end

                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                wrk.headers["Accept"] = "application/json"

                function request()
                  counter = counter + 1
                  local id = prefix .. counter
                  local at = now_ms()
                  sent[id] = at
                  if first_sent == nil then first_sent = at end
                  local product = products[(counter %% #products) + 1]
                  local body = '{"orderId":"' .. id .. '","productId":"' .. product .. '","quantity":1}'
                  return wrk.format(nil, "/orders", nil, body)
                end

                function response(status, headers, body)
                  local at = now_ms()
                  local id = body and string.match(body, '"orderId":"([^"]+)"')
                  local began = id and sent[id]
                  local latency = -1
                  if began then
                    sent[id] = nil
                    latency = at - began
                  end
                  answers[#answers + 1] = at
                  answers[#answers + 1] = latency
                end

                -- Runs in the main state after the run: every thread's answers into the file.
                function done(summary, latency, requests)
                  local file_name = threads[1] and threads[1]:get("record_to")
                  if file_name == nil then return end
                  local start = nil
                  for _, thread in ipairs(threads) do
                    local first = thread:get("first_sent")
                    if first ~= nil and (start == nil or first < start) then start = first end
                  end
                  local file = assert(io.open(file_name, "w"))
                  file:write(string.format("start %%.3f duration %%d\\n", start or 0, summary.duration))
                  for _, thread in ipairs(threads) do
                    local recorded = thread:get("answers")
                    for i = 1, #recorded, 2 do
                      file:write(string.format("%%.3f %%.3f\\n", recorded[i], recorded[i + 1]))
                    end
                  end
                  file:close()
                end
                """.formatted(products);
    }

    /**
     * The longest order id a run prefix can produce stays within the API's 64 characters for up to 10^12 requests per
     * thread and 99 threads.
     */
    public static String requirePrefix(String prefix) {
        requireId(prefix);
        if (prefix.length() > 64 - 1 - 2 - 1 - 12) {
            throw new IllegalArgumentException("run prefix '" + prefix + "' is too long for 64-character order ids");
        }
        return prefix;
    }

    private static void requireId(String id) {
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("'" + id + "' is not a valid id ([A-Za-z0-9_-]{1,64})");
        }
    }
}
