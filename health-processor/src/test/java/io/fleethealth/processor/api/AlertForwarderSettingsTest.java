package io.fleethealth.processor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertForwarderSettingsTest {

    @Test
    void shouldBeOffWithoutAWebhookUrl() {
        assertThat(AlertForwarderSettings.fromEnvironment(Map.of())).isEmpty();
        assertThat(AlertForwarderSettings.fromEnvironment(Map.of("ALERT_WEBHOOK_URL", " "))).isEmpty();
    }

    @Test
    void shouldDefaultToAlertmanagerAndAppendItsV2Path() {
        AlertForwarderSettings settings = AlertForwarderSettings.fromEnvironment(
                Map.of("ALERT_WEBHOOK_URL", "http://alertmanager:9093/")).orElseThrow();

        assertThat(settings.mode()).isEqualTo(AlertForwarderSettings.Mode.ALERTMANAGER);
        assertThat(settings.target()).isEqualTo(URI.create("http://alertmanager:9093/api/v2/alerts"));
    }

    @Test
    void shouldNotAppendTheV2PathTwice() {
        AlertForwarderSettings settings = AlertForwarderSettings.fromEnvironment(
                Map.of("ALERT_WEBHOOK_URL", "http://am:9093/api/v2/alerts")).orElseThrow();

        assertThat(settings.target()).isEqualTo(URI.create("http://am:9093/api/v2/alerts"));
    }

    @Test
    void shouldPostToAWebhookUrlAsGiven() {
        AlertForwarderSettings settings = AlertForwarderSettings.fromEnvironment(
                Map.of("ALERT_WEBHOOK_URL", "https://hooks.example/fleet", "ALERT_WEBHOOK_MODE", "Webhook")).orElseThrow();

        assertThat(settings.mode()).isEqualTo(AlertForwarderSettings.Mode.WEBHOOK);
        assertThat(settings.target()).isEqualTo(URI.create("https://hooks.example/fleet"));
    }

    @Test
    void shouldNameTheVariableAndTheAcceptedValuesOfABadMode() {
        assertThatThrownBy(() -> AlertForwarderSettings.fromEnvironment(
                Map.of("ALERT_WEBHOOK_URL", "http://am:9093", "ALERT_WEBHOOK_MODE", "slack")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ALERT_WEBHOOK_MODE='slack'")
                .hasMessageContaining("alertmanager or webhook");
    }

    @Test
    void shouldRejectAUrlThatIsNotHttp() {
        assertThatThrownBy(() -> AlertForwarderSettings.fromEnvironment(Map.of("ALERT_WEBHOOK_URL", "ftp://am:21")))
                .hasMessageContaining("ALERT_WEBHOOK_URL='ftp://am:21'");
        assertThatThrownBy(() -> AlertForwarderSettings.fromEnvironment(Map.of("ALERT_WEBHOOK_URL", "not a url")))
                .hasMessageContaining("ALERT_WEBHOOK_URL='not a url'");
    }
}
