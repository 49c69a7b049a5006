package io.github.orderstock.query.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.github.orderstock.query.watch.LiveFeed;
import io.github.orderstock.query.watch.WatchSettings;
import io.github.orderstock.support.web.SecurityConfig;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(LiveController.class)
@Import({JsonConfig.class, SecurityConfig.class})
@EnableConfigurationProperties(WatchSettings.class)
@TestPropertySource(properties = {"app.admin.user=admin", "app.admin.password=secret", "app.watch.max-clients=7"})
class LiveControllerTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    LiveFeed feed;

    @Test
    void opensAnEventStreamForAnyone() throws Exception {
        given(feed.register(any())).willReturn(true);

        mvc.perform(get("/live/stream").accept(MediaType.TEXT_EVENT_STREAM))
                .andExpect(status().isOk())
                .andExpect(request().asyncStarted())
                .andExpect(header().string("Cache-Control", "no-store"));

        ArgumentCaptor<LiveFeed.Client> client = ArgumentCaptor.forClass(LiveFeed.Client.class);
        verify(feed).register(client.capture());
        assertThat(client.getValue().admin()).isFalse();
    }

    @Test
    void knowsTheAdminByTheCredentialsTheStreamWasOpenedWith() throws Exception {
        given(feed.register(any())).willReturn(true);

        mvc.perform(get("/live/stream").accept(MediaType.TEXT_EVENT_STREAM).with(httpBasic("admin", "secret")))
                .andExpect(status().isOk());

        ArgumentCaptor<LiveFeed.Client> client = ArgumentCaptor.forClass(LiveFeed.Client.class);
        verify(feed).register(client.capture());
        assertThat(client.getValue().admin()).isTrue();
    }

    @Test
    void refusesAWrongPasswordLikeEveryOtherRequest() throws Exception {
        mvc.perform(get("/live/stream").accept(MediaType.TEXT_EVENT_STREAM).with(httpBasic("admin", "guess")))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void answers503WithRetryAfterWhenAsManyStreamsAreOpenAsAllowed() throws Exception {
        given(feed.register(any())).willReturn(false);

        mvc.perform(get("/live/stream").accept(MediaType.TEXT_EVENT_STREAM))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "10"))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Too many live streams"))
                .andExpect(jsonPath("$.detail").value("7 live streams are open, as many as this service serves at "
                        + "once; try again later."));
    }
}
