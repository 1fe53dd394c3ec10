package io.spendshift.notify;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * An in-process SMTP server (GreenMail) on a free loopback port, with one account, and the mailer pointed at it
 * instead of the mock: e-mail notifications then go through a real SMTP conversation (EHLO, AUTH, MAIL FROM,
 * RCPT TO, DATA).
 */
public class SmtpServerResource implements QuarkusTestResourceLifecycleManager {

    static final String USER = "spendshift-smtp";
    static final String PASSWORD = "smtp-pass-" + java.util.UUID.randomUUID();
    static final String FROM = "spendshift@notify.example";
    static volatile GreenMail smtp;
    static volatile int port;

    @Override
    public Map<String, String> start() {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        startServer();
        return Map.of("quarkus.mailer.mock", "false", "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", Integer.toString(port), "quarkus.mailer.start-tls", "DISABLED",
                "quarkus.mailer.login", "REQUIRED", "quarkus.mailer.username", USER,
                "quarkus.mailer.password", PASSWORD, "quarkus.mailer.from", FROM);
    }

    /** A fresh server on the same port (after {@code smtp.stop()}: the server "comes back"). */
    static void startServer() {
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.setUser(FROM, USER, PASSWORD);
        smtp.start();
    }

    @Override
    public void stop() {
        if (smtp != null) {
            smtp.stop();
        }
    }
}
