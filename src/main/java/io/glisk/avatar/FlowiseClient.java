package io.glisk.avatar;

import io.glisk.provider.ProviderCircuits;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glisk.provider.PermanentFailure;
import io.glisk.provider.ProviderAnswers;
import io.glisk.provider.TransientFailure;
import io.glisk.settings.ConditionalOnStage;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.springframework.stereotype.Component;

/**
 * Calls the two Flowise flows — persona data and image prompts — at
 * {@code POST {FLOWISE_URL}/api/v1/prediction/{flowId}} with {@code Authorization: Bearer FLOWISE_API_KEY}. All
 * Flowise calls of the service share MULTITHREAD_FLOWISE turns. A plain bean over Apache HttpClient 5 for the
 * same reasons as {@link OpenAiImages}: one shared limit across routes and tasks, and the answer parsed here.
 *
 * <p>Failures: a refused key (401, 403) or a flow that does not exist (404) stops the stage
 * ({@link StageHalted}); 408, 429 and 5xx, timeouts and unreadable answers are transient; other 4xx permanent.
 */
@Component
@ConditionalOnStage("avatar")
public class FlowiseClient implements AutoCloseable {

    static final String PROVIDER = "Flowise";
    /** Ten personas are some 30 kB of JSON; room for chatty flows that echo their inputs and trace. */
    static final int MAX_ANSWER_BYTES = 4 << 20;

    private final AvatarSettings.Flowise settings;
    private final FlowiseRequests requests;
    private final FlowiseAnswers answers;
    private final ProviderCall call;
    private final String base;
    private final ObjectMapper json = new ObjectMapper();

    public FlowiseClient(AvatarSettings avatar, FlowiseRequests requests, FlowiseAnswers answers,
                         ProviderCircuits circuits) {
        this.settings = avatar.flowise();
        this.requests = requests;
        this.answers = answers;
        this.base = settings.url().replaceAll("/+$", "");
        this.call = new ProviderCall(PROVIDER, "flowise", base, settings.apiKey(), settings.maxConcurrentRequests(),
                settings.timeoutSeconds(), MAX_ANSWER_BYTES, circuits);
    }

    /** Up to {@code amount} (1..10) new personas, and what the flow answered that was not one. */
    public PersonaBatch personas(int amount, String description, String bioLanguage) {
        return answers.personas(predict("FLOWISE_PERSONA_FLOW_ID", settings.personaFlowId(),
                requests.personas(amount, description, bioLanguage)));
    }

    /** The next image prompt for the persona, unlike the ones already used. */
    public String imagePrompt(Persona persona, List<String> promptsUsed) {
        return answers.finalPrompt(predict("FLOWISE_IMAGE_PROMPT_FLOW_ID", settings.imagePromptFlowId(),
                requests.imagePrompt(persona, promptsUsed)));
    }

    private String predict(String setting, String flowId, Map<String, Object> body) {
        if (base.isEmpty() || flowId.isEmpty()) {
            throw new StageHalted(PROVIDER, (base.isEmpty() ? "FLOWISE_URL" : setting) + " is not set");
        }
        HttpPost request = new HttpPost(base + "/api/v1/prediction/" + flowId);
        try {
            request.setEntity(new StringEntity(json.writeValueAsString(body), ContentType.APPLICATION_JSON));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON request", e);
        }
        ProviderCall.Answer answer = call.send(request);
        int status = answer.status();
        if (status >= 200 && status <= 299) {
            return answer.body();
        }
        RuntimeException failure = ProviderAnswers.failure(PROVIDER, status, answer.body(), answer.retryAfter());
        String message = call.scrub(failure.getMessage());
        if (status == 401 || status == 403) {
            throw new StageHalted(PROVIDER, message + " (check FLOWISE_API_KEY)");
        }
        if (status == 404) {
            throw new StageHalted(PROVIDER, message + " (check FLOWISE_URL and " + setting + ")");
        }
        throw failure instanceof TransientFailure t
                ? new TransientFailure(message, t.retryAfter())
                : new PermanentFailure(message);
    }

    @Override
    public void close() throws IOException {
        call.close();
    }
}
