package io.github.orderstock.benchmark.http;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The wrk Lua script that POSTs orders. Each order id is unique across runs, threads and requests: the run's prefix
 * (given as the script's argument), the wrk thread's number and a per-thread counter, e.g. {@code k3x9-c64-2-1017}.
 * Orders of quantity 1 go round-robin over the given products.
 */
public final class WrkScript {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private WrkScript() {
    }

    /**
     * @param productIds the products to order from (they must exist with enough stock)
     * @return the script; run it as {@code wrk -s script URL -- <run prefix>}
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
                local products = { %s }
                local next_thread = 1

                -- Runs in wrk's main Lua state, once per thread, before the thread's init().
                function setup(thread)
                  thread:set("thread_number", next_thread)
                  next_thread = next_thread + 1
                end

                local prefix = "run"
                local counter = 0

                function init(args)
                  if args[1] ~= nil then prefix = args[1] end
                  prefix = prefix .. "-" .. tostring(thread_number or 0) .. "-"
                end

                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                wrk.headers["Accept"] = "application/json"

                function request()
                  counter = counter + 1
                  local product = products[(counter %% #products) + 1]
                  local body = '{"orderId":"' .. prefix .. counter .. '","productId":"' .. product .. '","quantity":1}'
                  return wrk.format(nil, "/orders", nil, body)
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
