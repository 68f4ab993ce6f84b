{{/*
Gloo's global.additionalLabels on labels that carry app: gloo, as its gloo.labels helper writes
them: after app: gloo (so additionalLabels.app replaces it), before the object's own labels
(which win), before any kubeResourceOverride. Takes (list .Values labels); returns JSON.
components/render/additional-labels.ts is the library's rule.
*/}}
{{- define "gk.withAdditionalLabels" -}}
{{- $labels := index . 1 -}}
{{- $additional := ((index . 0).global | default dict).additionalLabels | default dict -}}
{{- if and $additional (eq (toString (index $labels "app")) "gloo") -}}
{{- toJson (merge (omit $labels "app") (deepCopy $additional) (dict "app" "gloo")) -}}
{{- else -}}
{{- toJson $labels -}}
{{- end -}}
{{- end -}}
