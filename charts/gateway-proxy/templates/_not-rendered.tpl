{{/*
What the values set that renders nothing here, as the library's notRenderedPaths names it: the
value paths of `.Values`, each as short as it can be, that no rendered path (gk.constants
renderedPaths, `*` for any proxy name) covers. NOTES.txt prints them.
*/}}
{{- define "gk.pathState" -}}
{{- $path := index . 0 -}}{{- $state := "none" -}}
{{- range $pattern := index . 1 -}}
{{- $matches := true -}}
{{- range $i := until (min (len $pattern) (len $path) | int) -}}
{{- $segment := index $pattern $i -}}
{{- if and (ne $segment "*") (ne $segment (index $path $i)) -}}{{- $matches = false -}}{{- end -}}
{{- end -}}
{{- if $matches -}}
{{- if le (len $pattern) (len $path) -}}{{- $state = "rendered" -}}{{- else if ne $state "rendered" -}}{{- $state = "beneath" -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- $state -}}
{{- end -}}

{{- define "gk.notRenderedWalk" -}}
{{- $out := list -}}
{{- $state := include "gk.pathState" (list .path .patterns) -}}
{{- if and (eq $state "beneath") (kindIs "map" .node) -}}
{{- range $key, $child := .node -}}
{{- if not (kindIs "invalid" $child) -}}
{{- $out = concat $out (include "gk.notRenderedWalk" (dict "node" $child "path" (append $.path $key) "patterns" $.patterns) | fromJsonArray) -}}
{{- end -}}
{{- end -}}
{{- else if and (ne $state "rendered") (gt (len .path) 0) -}}
{{- $out = append $out (join "." .path) -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{- define "gk.notRendered" -}}
{{- $patterns := list -}}
{{- range (include "gk.constants" . | fromJson).renderedPaths -}}{{- $patterns = append $patterns (splitList "." .) -}}{{- end -}}
{{- include "gk.notRenderedWalk" (dict "node" .Values "path" list "patterns" $patterns) -}}
{{- end -}}
