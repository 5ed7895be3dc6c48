package io.glisk.settings;

import java.util.Arrays;
import java.util.Map;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

class OnStageCondition implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnStage.class.getName());
        return attributes != null && Arrays.stream((String[]) attributes.get("value")).anyMatch(stage ->
                context.getEnvironment().getProperty("glisk.stages." + stage + ".enabled", Boolean.class, true));
    }
}
