package io.fleethealth.processor.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertsTest {

    @Test
    void shouldFingerprintALabelSetIndependentlyOfItsOrder() {
        Map<String, String> one = new LinkedHashMap<>();
        one.put("alertname", "SessionFailed");
        one.put("session_id", "s-1");
        Map<String, String> other = new LinkedHashMap<>();
        other.put("session_id", "s-1");
        other.put("alertname", "SessionFailed");

        assertThat(Alerts.fingerprint(one)).isEqualTo(Alerts.fingerprint(other)).hasSize(16).matches("[0-9a-f]{16}");
    }

    @Test
    void shouldKeepTheFingerprintsAlreadyPublishedIncludingTheirLeadingZeros() {
        // Values written by the first processors (String.format("%016x")): live alerts must keep matching them.
        assertThat(Alerts.fingerprint(Map.of("alertname", "SessionFailed", "session_id", "s-1")))
                .isEqualTo("6f809fb01ecfeb7e");
        assertThat(Alerts.fingerprint(Map.of("alertname", "SessionFailed", "session_id", "s-810")))
                .isEqualTo("004cb1616c206844");
    }

    @Test
    void shouldFingerprintDifferentLabelSetsDifferently() {
        String a = Alerts.fingerprint(Map.of("alertname", "SessionFailed", "session_id", "s-1"));
        String b = Alerts.fingerprint(Map.of("alertname", "SessionFailed", "session_id", "s-2"));
        // The separator keeps "ab"+"c" apart from "a"+"bc".
        String c = Alerts.fingerprint(Map.of("ab", "c"));
        String d = Alerts.fingerprint(Map.of("a", "bc"));

        assertThat(a).isNotEqualTo(b);
        assertThat(c).isNotEqualTo(d);
    }

    @Test
    void shouldGiveHostAlertsOnlyHostLabels() {
        var alert = Alerts.hostHeartbeatsStopped("host-a", Fixture.at(0));

        assertThat(alert.getLabels()).containsOnlyKeys("alertname", "severity", "host_id")
                .containsEntry("alertname", "HostHeartbeatsStopped");
        assertThat(alert.getEndsAt()).isNull();
        assertThat(Alerts.hostHeartbeatsResumed("host-a", Fixture.at(0), Fixture.at(60)).getEndsAt())
                .isEqualTo(Fixture.at(60));
    }
}
