package io.glisk.local;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Local mode's own machinery.
 *
 * @param dataDir      where the embedded PostgreSQL keeps its data (GLISK_LOCAL_DATA_DIR), so a restart keeps tokens
 * @param ephemeral    throw the data away at the end (GLISK_LOCAL_EPHEMERAL=true)
 * @param postgresPort port of the embedded PostgreSQL, for psql (GLISK_LOCAL_POSTGRES_PORT)
 * @param chainPort    port of the local anvil node (LOCAL_CHAIN_PORT)
 * @param anvilBin     the anvil binary (ANVIL_BIN); found under contracts/node_modules or on PATH when unset
 */
@ConfigurationProperties("glisk.local")
public record LocalSettings(String dataDir, boolean ephemeral, int postgresPort, int chainPort, String anvilBin) {
}
