function Get-VmmRestorePlan {
    $data = Get-VmmProcedureData
    ConvertTo-VmmPlanItem -Id $data.Plans[$Scenario] -Data $data
}
