package io.glisk.reliability;

/**
 * How big a run is. The full size is what the guarantees are published with; the CI size runs every scenario
 * the same way, smaller and with shorter outages.
 *
 * @param faultTokens          tokens of the random-faults scenario
 * @param killTokens           tokens of the kills scenario
 * @param kills                SIGKILLs during the kills scenario
 * @param instanceTokens       tokens of each phase of the instance-count scenarios
 * @param outageTokens         tokens of each outage scenario
 * @param postgresDownSeconds  how long PostgreSQL is stopped
 * @param chainDownSeconds     how long the chain's node is stopped
 * @param replicateDownSeconds how long Replicate answers 503 to everyone
 * @param avatarPersonas       personas of the avatar task
 * @param avatarKills          SIGKILLs during the avatar task
 */
record Size(String name, int faultTokens, int killTokens, int kills, int instanceTokens, int outageTokens,
            int postgresDownSeconds, int chainDownSeconds, int replicateDownSeconds, int avatarPersonas,
            int avatarKills) {

    static final Size FULL = new Size("full", 1000, 2000, 20, 600, 300, 30, 30, 60, 20, 2);
    static final Size CI = new Size("ci", 100, 200, 3, 100, 60, 10, 10, 20, 10, 1);
}
