# A local Apicurio registry image for the compose smoke test, from the same Maven artifact the embedded
# default runs (io.apicurio:apicurio-registry-app:3.0.9:tar.gz:all, unpacked into apicurio/).
ARG JRE_IMAGE
FROM ${JRE_IMAGE}
COPY apicurio/ /app/
ENTRYPOINT ["java", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", "/app/apicurio-registry-app-3.0.9-runner.jar"]
