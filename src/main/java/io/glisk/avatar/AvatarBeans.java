package io.glisk.avatar;

import io.glisk.settings.ConditionalOnStage;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@ConditionalOnStage("avatar")
class AvatarBeans {

    /**
     * The avatar routes' thread pools, bound in Camel's registry only (as Spring beans, executors would displace
     * Spring Boot's own): {@code avatarPersonas}, the personas of the tasks in work (AVATAR_PERSONA_CONCURRENCY per
     * task); {@code avatarGrids}, their grids (at most 5 a persona); {@code avatarPersonaBatches}, the persona-flow
     * calls (MULTITHREAD_FLOWISE per task). The routes' splits wait for each item on these threads, retries included,
     * so the pool sizes are the parallelism; the provider clients' own limits hold for all tasks together.
     */
    @Bean
    CamelContextConfiguration avatarPools(AvatarSettings settings) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                var executors = camel.getExecutorServiceManager();
                int personas = settings.personaConcurrency() * settings.maxConcurrentTasks();
                camel.getRegistry().bind("avatarPersonas", executors.newFixedThreadPool(AvatarBeans.this,
                        "avatar-persona", personas));
                camel.getRegistry().bind("avatarGrids", executors.newFixedThreadPool(AvatarBeans.this,
                        "avatar-grid", personas * 5));
                camel.getRegistry().bind("avatarPersonaBatches", executors.newFixedThreadPool(AvatarBeans.this,
                        "avatar-persona-batch", settings.flowise().maxConcurrentRequests() * settings.maxConcurrentTasks()));
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                // nothing to do once started
            }
        };
    }
}
