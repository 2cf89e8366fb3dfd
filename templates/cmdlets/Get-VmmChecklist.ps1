function Get-VmmChecklist {
    $data = Get-VmmProcedureData
    $ids = foreach ($procedure in $data.Procedures) {
        if ($procedure.Instructions.Count -gt 0 -and ((-not $Kind) -or $procedure.Kind -eq $Kind)) {
            $procedure.Id
        }
    }
    ConvertTo-VmmPlanItem -Id @($ids) -Data $data
}
