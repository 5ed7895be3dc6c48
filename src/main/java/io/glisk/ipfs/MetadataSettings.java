package io.glisk.ipfs;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The ERC-721 metadata's name and description. Templates may use {token_id} and {author} (the author's
 * wallet address).
 */
@Validated
@ConfigurationProperties("glisk.metadata")
public record MetadataSettings(@NotBlank String nameTemplate, @NotBlank String descriptionTemplate) {
}
