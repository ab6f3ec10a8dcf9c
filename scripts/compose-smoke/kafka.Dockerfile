# A local broker image for the compose smoke test, from the Maven artifacts of the embedded default
# (local-stack and its runtime dependencies, staged into lib/ by scripts/compose-smoke.sh).
ARG JRE_IMAGE
FROM ${JRE_IMAGE}
COPY lib/ /app/lib/
ENTRYPOINT ["java", "-Xmx256m", "-Dlogback.configurationFile=fleet-local-stack-logback.xml", "-cp", "/app/lib/*", "io.fleethealth.localstack.EmbeddedKafkaMain"]
