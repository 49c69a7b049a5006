package io.github.orderstock.query.web;

import java.net.URI;

import io.github.orderstock.query.replay.ReplayStatus;
import io.github.orderstock.query.replay.Replays;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@SecurityScheme(name = "admin", type = SecuritySchemeType.HTTP, scheme = "basic")
class ReplayController {

    private final Replays replays;

    ReplayController(Replays replays) {
        this.replays = replays;
    }

    @Operation(summary = "Rebuild the read model from the start of the topic (admin)",
            description = "Applies every record of the topic again into new collections; readers keep the last "
                    + "complete view until the rebuilt one has caught up and replaces it. Follow it with "
                    + "GET /admin/replay.", security = @SecurityRequirement(name = "admin"))
    @ApiResponse(responseCode = "202", description = "Started")
    @ApiResponse(responseCode = "401", description = "Admin credentials missing or wrong")
    @ApiResponse(responseCode = "409", description = "A replay is running")
    @ApiResponse(responseCode = "503", description = "Kafka unreachable; nothing was reset")
    @PostMapping(path = "/admin/replay", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ReplayStatus> start() {
        return ResponseEntity.accepted().location(URI.create("/admin/replay")).body(replays.start());
    }

    @Operation(summary = "How far the last replay got (admin)", security = @SecurityRequirement(name = "admin"))
    @ApiResponse(responseCode = "200", description = "IDLE, RUNNING, SWITCHING or COMPLETED, with counts")
    @ApiResponse(responseCode = "401", description = "Admin credentials missing or wrong")
    @GetMapping(path = "/admin/replay", produces = MediaType.APPLICATION_JSON_VALUE)
    ReplayStatus status() {
        return replays.status();
    }
}
