package io.github.orderstock.query.web;

import java.io.IOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.orderstock.query.watch.LiveFeed;
import io.github.orderstock.query.watch.WatchSettings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The live page's one stream (server-sent events): {@code snapshot}, then {@code stock} and {@code status} as they
 * come ({@link LiveFeed}). Open to everyone, like the stock; a stream opened with the admin's credentials also
 * carries the replay's progress, which the API shows only to the admin.
 */
@RestController
class LiveController {

    private final LiveFeed feed;
    private final WatchSettings settings;
    private final ObjectMapper json;

    LiveController(LiveFeed feed, WatchSettings settings, ObjectMapper json) {
        this.feed = feed;
        this.settings = settings;
        this.json = json;
    }

    @Operation(summary = "The live page's stream of stock changes, lag and dead letters (server-sent events)",
            description = "Events: `snapshot` (the first products by id and the status), `stock` (products that "
                    + "changed), `status` (every second: lag per partition, dead letters, and with the admin's "
                    + "credentials the replay).")
    @ApiResponse(responseCode = "200", description = "The stream", content = @Content(
            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE))
    @ApiResponse(responseCode = "503", description = "Too many open streams")
    @GetMapping(path = "/live/stream")
    ResponseEntity<SseEmitter> stream(HttpServletRequest request) {
        SseEmitter emitter = new SseEmitter(settings.streamTimeout().toMillis());
        LiveFeed.Client client = new EmitterClient(emitter, request.isUserInRole("ADMIN"), json);
        emitter.onCompletion(() -> feed.unregister(client));
        emitter.onTimeout(() -> feed.unregister(client));
        emitter.onError(e -> feed.unregister(client));
        if (!feed.register(client)) {
            throw new LiveStreamsExhaustedException(settings.maxClients());
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noStore())
                // Proxies such as nginx would otherwise buffer the stream.
                .header("X-Accel-Buffering", "no")
                .contentType(MediaType.TEXT_EVENT_STREAM).body(emitter);
    }

    private record EmitterClient(SseEmitter emitter, boolean admin, ObjectMapper json) implements LiveFeed.Client {

        @Override
        public void send(String event, Object data) throws IOException {
            emitter.send(SseEmitter.event().name(event).data(json.writeValueAsString(data)));
        }

        @Override
        public void close() {
            emitter.complete();
        }
    }
}
