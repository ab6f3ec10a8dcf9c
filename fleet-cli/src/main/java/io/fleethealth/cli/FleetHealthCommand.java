package io.fleethealth.cli;

import io.fleethealth.cli.export.ExportCommand;
import io.fleethealth.contract.kafka.KafkaPreflight;
import io.fleethealth.contract.settings.ConfigException;
import io.fleethealth.cli.replay.ReplayCommand;
import io.fleethealth.cli.report.ReportCommand;
import io.fleethealth.contract.settings.ConfigException;
import io.fleethealth.contract.logging.RunnableLogging;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code fleet-health}: export the fleet's history, replay it through the decision, report on decisions. */
@Command(name = "fleet-health", mixinStandardHelpOptions = true, version = "fleet-health 0.1.0",
        description = "Analyse the fleet's history: export topics to files, replay checks through the live "
                + "decision with any settings, and compare two sets of decisions.",
        subcommands = {ExportCommand.class, ReplayCommand.class, ReportCommand.class})
public final class FleetHealthCommand implements Runnable {

    static {
        RunnableLogging.configure("fleet-cli-logback.xml"); // before the first logger (Kafka's, Avro's)
    }

    private final Map<String, String> env;
    private final Clock clock;

    @Spec
    CommandLine.Model.CommandSpec spec;

    public FleetHealthCommand(Map<String, String> env, Clock clock) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static void main(String[] args) {
        // Avro refuses to build our generated classes unless their package is trusted.
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES",
                System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.fleethealth"));
        System.exit(commandLine(System.getenv(), Clock.systemUTC()).execute(args));
    }

    /** The command line with its error handling; tests call it with their own environment and writers. */
    public static CommandLine commandLine(Map<String, String> env, Clock clock) {
        CommandLine line = new CommandLine(new FleetHealthCommand(env, clock));
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof ConfigException) {
                cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            if (e instanceof KafkaPreflight.KafkaUnavailableException) {
                cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
                return 3;
            }
            throw e;
        });
        return line;
    }

    public static CommandLine commandLine(Map<String, String> env, Clock clock, PrintWriter out, PrintWriter err) {
        return commandLine(env, clock).setOut(out).setErr(err);
    }

    public Map<String, String> env() {
        return env;
    }

    public Clock clock() {
        return clock;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
