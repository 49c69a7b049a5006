package io.github.orderstock.support.web;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Errors Tomcat answers itself, before a request reaches Spring (headers too large, a path it cannot decode), get an
 * RFC 9457 problem+json body instead of Tomcat's HTML page: its error report valve is replaced by
 * {@link ProblemValve}. Errors after that are Spring's, also problem+json ({@link ProblemAdvice},
 * {@link ProblemErrorController}).
 */
@Component
public class TomcatProblems implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                // Tomcat adds a valve of this class when the host starts, unless one is there.
                host.setErrorReportValveClass(ProblemValve.class.getName());
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) {
                        host.getPipeline().removeValve(valve);
                    }
                }
                host.getPipeline().addValve(new ProblemValve());
            }
        });
    }

    /** Tomcat's error report valve, writing problem+json. Public: Tomcat may instantiate it by name. */
    public static final class ProblemValve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0) {
                return;
            }
            AtomicBoolean ioAllowed = new AtomicBoolean(false);
            response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
            if (!ioAllowed.get()) {
                return;
            }
            try {
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                response.setCharacterEncoding("UTF-8");
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(body(status));
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // The client is gone or the response is committed: nothing more can be said.
            }
        }

        static String body(int status) {
            HttpStatus known = HttpStatus.resolve(status);
            String title = known == null ? "Error" : known.getReasonPhrase();
            String detail = status == 400
                    ? "The request could not be read: its request line, path or headers are malformed, or its "
                    + "headers are larger than 8 KB. Fix the request and send it again."
                    : "The web server refused the request before it reached the service (HTTP " + status + ").";
            return "{\"type\":\"about:blank\",\"title\":\"%s\",\"status\":%d,\"detail\":\"%s\"}"
                    .formatted(title, status, detail);
        }
    }
}
