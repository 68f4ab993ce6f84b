{{- /*
Kubernetes' limit on the total size of one object's annotations (TotalAnnotationSizeLimitB: every
key and value, in bytes), as components/checks/annotation-size.ts checks it and words its refusal.
Takes (list constants annotationsJson valuePath whose); returns the annotations' JSON unchanged.
*/ -}}
{{- define "gk.annotationsWithin" -}}
{{- $limit := int (index . 0).limits.annotationsMaxBytes -}}
{{- $json := index . 1 -}}
{{- $total := 0 -}}
{{- range $k, $v := fromJson $json }}{{ $total = add $total (len $k) (len (toString $v)) }}{{ end -}}
{{- if gt (int $total) $limit -}}
{{- fail (printf "%s: the %s annotations total %d bytes, above Kubernetes' limit of %d bytes for one object (TotalAnnotationSizeLimitB)" (index . 2) (index . 3) (int $total) $limit) -}}
{{- end -}}
{{- $json -}}
{{- end -}}
