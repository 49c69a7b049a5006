package io.github.orderstock.query.web;

import java.net.URI;

import io.github.orderstock.query.replay.ReplayStatus;
import io.github.orderstock.query.replay.Replays;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ReplayController {

    private final Replays replays;

    ReplayController(Replays replays) {
        this.replays = replays;
    }

    @PostMapping(path = "/admin/replay", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ReplayStatus> start() {
        return ResponseEntity.accepted().location(URI.create("/admin/replay")).body(replays.start());
    }

    @GetMapping(path = "/admin/replay", produces = MediaType.APPLICATION_JSON_VALUE)
    ReplayStatus status() {
        return replays.status();
    }
}
