package io.fleethealth.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import org.eclipse.jetty.http.BadMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every failure is answered, as JSON {@code {"status": n, "error": "...", ...details}}: typed by what the caller
 * should do. {@link ApiException} carries its status (the caller's mistake, or an expected condition; never an
 * ERROR log); "not ready" types and a full worker queue are 503 (retry; DEBUG); a malformed request is 400; Javalin's
 * own 404/405/413 keep their status; anything else is a bug: 500, logged once at ERROR with its stack trace.
 */
final class ErrorAnswers {

    private static final Logger log = LoggerFactory.getLogger(ErrorAnswers.class);

    private ErrorAnswers() {
    }

    static void register(RoutesConfig config, Routes table, List<Class<? extends Exception>> notReady) {
        config.exception(ApiException.class, (e, ctx) -> {
            if (e.status() >= 500) {
                log.debug("{} {} answered {}: {}", ctx.method(), ctx.path(), e.status(), e.getMessage());
            }
            answer(ctx, e);
        });
        for (Class<? extends Exception> type : notReady) {
            config.exception(type, (e, ctx) -> {
                log.debug("{} {}: not ready: {}", ctx.method(), ctx.path(), e.toString());
                answer(ctx, new NotReadyException(e.getMessage()));
            });
        }
        config.exception(RejectedExecutionException.class, (e, ctx) -> {
            log.debug("{} {}: every worker busy and the queue full", ctx.method(), ctx.path());
            answer(ctx, new ApiException(503, "busy, retry shortly"));
        });
        config.exception(BadMessageException.class, (e, ctx) ->
                answer(ctx, new ApiException(400, "malformed request: " + e.getReason())));
        config.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, fromJavalin(table, ctx, e)));
        config.exception(Exception.class, (e, ctx) -> {
            log.error("{} {} failed", ctx.method(), ctx.path(), e);
            answer(ctx, new ApiException(500, "internal error: " + e.getClass().getSimpleName()));
        });
    }

    /** Writes an error answer. */
    static void answer(Context ctx, ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", e.status());
        body.put("error", e.getMessage());
        body.putAll(e.details());
        ctx.status(e.status()).json(body);
    }

    /** Javalin's own answers (no route, body too large ...) in our shape; a known path gets 405 and Allow. */
    private static ApiException fromJavalin(Routes table, Context ctx, HttpResponseException e) {
        if (e.getStatus() == 404 || e.getStatus() == 405) {
            Set<String> allowed = table.methodsFor(ctx.path());
            if (allowed.isEmpty()) {
                return new ApiException(404, "no such route: " + ctx.path());
            }
            String allow = String.join(", ", allowed);
            ctx.header("Allow", allow);
            return new ApiException(405, "method " + ctx.method() + " not allowed on " + ctx.path() + "; use " + allow);
        }
        return new ApiException(e.getStatus(), e.getMessage());
    }
}
