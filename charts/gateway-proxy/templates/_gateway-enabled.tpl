{{/*
Gloo's gateway.enabled (given .Values): "false" when set false or null (a null removes the default true), and then, as in the Gloo chart,
none of a proxy's own objects render (ServiceAccount, ConfigMap, Service, workload, PDB, HPA,
config-dump Service), only its Gateways; the Upstreams are ours and stay.
components/render/gateway-enabled.ts is the library's rule.
*/}}
{{- define "gk.gatewayEnabled" -}}
{{- (.gateway | default dict).enabled | default false | toString -}}
{{- end -}}
