package io.glisk.generation;

import io.glisk.claim.AttemptRecorder;
import io.glisk.claim.SqlResources;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

@Configuration(proxyBeanMethods = false)
class GenerationBeans {

    /** The generation route's onRedelivery: each retry is an attempt in generation_attempts. */
    @Bean
    AttemptRecorder generationAttempts(NamedParameterJdbcTemplate jdbc, SqlResources sql) {
        return new AttemptRecorder(jdbc, sql, "sql/generation/retrying.sql", "generation_attempts",
                "token.generation.retry");
    }
}
