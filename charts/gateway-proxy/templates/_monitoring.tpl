{{- /*
Gloo's Prometheus Operator Service of a proxy: with the stats in force enabled and
serviceMonitorEnabled, <proxy>-monitoring-service on the Prometheus port (http-monitoring).
components/render/monitoring.ts renders the same. Takes (list constants name namespace labels stats); returns JSON, or nothing.
*/ -}}
{{- define "gk.monitoringService" -}}
{{- $c := index . 0 -}}
{{- $name := index . 1 -}}
{{- $stats := (index . 4) | default dict -}}
{{- if and $stats.enabled $stats.serviceMonitorEnabled -}}
{{- $spec := dict "type" "ClusterIP" "selector" (dict "gloo" "gateway-proxy" "gateway-proxy-id" $name) "ports" (list (dict "name" "http-monitoring" "port" $c.ports.prometheus)) -}}
{{- toJson (dict "apiVersion" "v1" "kind" "Service" "metadata" (dict "name" (printf "%s-monitoring-service" $name) "namespace" (index . 2) "labels" (index . 3)) "spec" $spec) -}}
{{- end -}}
{{- end -}}
