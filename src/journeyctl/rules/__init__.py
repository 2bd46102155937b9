"""Built-in lint rules, one module each; ``BUILTIN_RULES`` maps code to module.

Codes are grouped by theme and never reused once retired:
JM1xx journey, stages and steps; JM2xx pain points and opportunities;
JM3xx emotion; JM4xx unused definitions; JM5xx ownership and upkeep;
JM6xx metrics; JM7xx channels and personas; JM8xx text that YAML reads otherwise than
it looks (likely slips); JM9xx maps across a run (project rules, ``SCOPE = "project"``).
JM000-JM099 belong to the engine.
"""

from __future__ import annotations

#: Rule code -> dotted module path. Third-party rules come through the
#: ``journeyctl.rules`` entry-point group instead. Kept as strings so that
#: listing rules imports nothing and linting imports only the selected ones.
BUILTIN_RULES: dict[str, str] = {
    "JM101": "journeyctl.rules.stage_without_touchpoints",
    "JM102": "journeyctl.rules.stage_without_steps",
    "JM103": "journeyctl.rules.stage_without_goal",
    "JM104": "journeyctl.rules.no_after_purchase_stage",
    "JM105": "journeyctl.rules.stage_without_phase",
    "JM106": "journeyctl.rules.step_without_touchpoint",
    "JM107": "journeyctl.rules.duplicate_step_action",
    "JM108": "journeyctl.rules.future_state_without_baseline",
    "JM109": "journeyctl.rules.phase_typo",
    "JM201": "journeyctl.rules.pain_point_without_opportunity",
    "JM202": "journeyctl.rules.opportunity_without_pain_point",
    "JM203": "journeyctl.rules.severe_pain_point_unplanned",
    "JM204": "journeyctl.rules.pain_point_without_place",
    "JM205": "journeyctl.rules.unrated_pain_point",
    "JM301": "journeyctl.rules.step_without_emotion",
    "JM302": "journeyctl.rules.unexplained_emotional_low",
    "JM303": "journeyctl.rules.moment_of_truth_at_risk",
    "JM304": "journeyctl.rules.emotion_cliff",
    "JM401": "journeyctl.rules.unused_touchpoint",
    "JM402": "journeyctl.rules.unused_channel",
    "JM403": "journeyctl.rules.unused_persona",
    "JM501": "journeyctl.rules.pain_point_without_owner",
    "JM502": "journeyctl.rules.opportunity_without_owner",
    "JM503": "journeyctl.rules.touchpoint_without_owner",
    "JM504": "journeyctl.rules.stale_map",
    "JM505": "journeyctl.rules.map_without_owner",
    "JM601": "journeyctl.rules.metric_below_target",
    "JM602": "journeyctl.rules.metric_without_target",
    "JM603": "journeyctl.rules.funnel_biggest_drop",
    "JM701": "journeyctl.rules.single_channel_journey",
    "JM702": "journeyctl.rules.persona_without_goals",
    "JM703": "journeyctl.rules.map_without_personas",
    "JM801": "journeyctl.rules.sentence_split_into_list",
    "JM802": "journeyctl.rules.unquoted_yes_no",
    # Project rules (SCOPE = "project"): they see every map of a run, see lint/project.py.
    "JM901": "journeyctl.rules.invalid_baseline",
    "JM902": "journeyctl.rules.duplicate_map_id",
    "JM903": "journeyctl.rules.unused_shared_definition",
    "JM904": "journeyctl.rules.baseline_stage_dropped",
    "JM905": "journeyctl.rules.unknown_baseline_reference",
}
