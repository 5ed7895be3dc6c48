package io.glisk.settings;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * A bean of a stage exists only while the stage is enabled (glisk.stages.&lt;name&gt;.enabled, default true),
 * so an instance that runs, say, generation alone needs no chain settings at all. With several names: while
 * any of them is enabled.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(OnStageCondition.class)
public @interface ConditionalOnStage {

    String[] value();
}
