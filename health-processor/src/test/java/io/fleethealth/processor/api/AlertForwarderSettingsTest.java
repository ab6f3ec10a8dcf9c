package io.fleethealth.processor.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleethealth.contract.settings.ConfigException;
import io.fleethealth.processor.config.ProcessorConfig;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlertForwarderSettingsTest {

    /** Read as the processor reads it: with every other setting, in one pass. */
    private static Optional<AlertForwarderSettings> forwarder(Map<String, String> env) {
        return ProcessorConfig.fromEnv(env).alertForwarder();
    }

    @Test
    void shouldBeOffWithoutAWebhookUrl() {
        assertThat(forwarder(Map.of())).isEmpty();
        assertThat(forwarder(Map.of("ALERT_WEBHOOK_URL", " "))).isEmpty();
    }

    @Test
    void shouldDefaultToAlertmanagerAndAppendItsV2Path() {
        AlertForwarderSettings settings = forwarder(
                Map.of("ALERT_WEBHOOK_URL", "http://alertmanager:9093/")).orElseThrow();

        assertThat(settings.mode()).isEqualTo(AlertForwarderSettings.Mode.ALERTMANAGER);
        assertThat(settings.target()).isEqualTo(URI.create("http://alertmanager:9093/api/v2/alerts"));
    }

    @Test
    void shouldNotAppendTheV2PathTwice() {
        AlertForwarderSettings settings = forwarder(
                Map.of("ALERT_WEBHOOK_URL", "http://am:9093/api/v2/alerts")).orElseThrow();

        assertThat(settings.target()).isEqualTo(URI.create("http://am:9093/api/v2/alerts"));
    }

    @Test
    void shouldPostToAWebhookUrlAsGiven() {
        AlertForwarderSettings settings = forwarder(
                Map.of("ALERT_WEBHOOK_URL", "https://hooks.example/fleet", "ALERT_WEBHOOK_MODE", "Webhook")).orElseThrow();

        assertThat(settings.mode()).isEqualTo(AlertForwarderSettings.Mode.WEBHOOK);
        assertThat(settings.target()).isEqualTo(URI.create("https://hooks.example/fleet"));
    }

    @Test
    void shouldNameTheVariableAndTheAcceptedValuesOfABadMode() {
        assertThatThrownBy(() -> forwarder(
                Map.of("ALERT_WEBHOOK_URL", "http://am:9093", "ALERT_WEBHOOK_MODE", "slack")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ALERT_WEBHOOK_MODE='slack'")
                .hasMessageContaining("one of alertmanager, webhook");
    }

    @Test
    void shouldRejectAUrlThatIsNotHttpWithoutShowingIt() {
        assertThatThrownBy(() -> forwarder(Map.of("ALERT_WEBHOOK_URL", "ftp://am:21/token")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ALERT_WEBHOOK_URL=(hidden)").hasMessageContaining("http:// or https://")
                .hasMessageNotContaining("token");
        assertThatThrownBy(() -> forwarder(Map.of("ALERT_WEBHOOK_URL", "not a url")))
                .hasMessageContaining("ALERT_WEBHOOK_URL=(hidden)").hasMessageNotContaining("not a url");
    }
}
