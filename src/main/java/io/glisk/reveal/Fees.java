package io.glisk.reveal;

import java.math.BigInteger;

/** EIP-1559 fee fields of one transaction, in wei. */
public record Fees(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
}
