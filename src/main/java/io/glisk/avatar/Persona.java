package io.glisk.avatar;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A synthetic person as the persona flow writes one. JSON names are the flow's own, so a persona stored or
 * exported as JSON reads like the answer it came from.
 *
 * @param gender "m" or "f"
 */
public record Persona(
        @JsonProperty("firstname") String firstname,
        @JsonProperty("lastname") String lastname,
        @JsonProperty("gender") String gender,
        @JsonProperty("ethnicity") String ethnicity,
        @JsonProperty("bios") Bios bios) {

    public String fullName() {
        return firstname + " " + lastname;
    }

    /**
     * The bios for four networks and the facts behind them; the facts may be missing (null).
     *
     * @param age years, 1..120
     */
    public record Bios(
            @JsonProperty("facebook_bio") String facebookBio,
            @JsonProperty("instagram_bio") String instagramBio,
            @JsonProperty("x_bio") String xBio,
            @JsonProperty("tiktok_bio") String tiktokBio,
            @JsonProperty("age") Integer age,
            @JsonProperty("job_title") String jobTitle,
            @JsonProperty("workplace") String workplace,
            @JsonProperty("edu_establishment") String eduEstablishment,
            @JsonProperty("edu_study") String eduStudy,
            @JsonProperty("current_city") String currentCity,
            @JsonProperty("current_state") String currentState,
            @JsonProperty("prev_city") String prevCity,
            @JsonProperty("prev_state") String prevState,
            @JsonProperty("about") String about) {
    }
}
