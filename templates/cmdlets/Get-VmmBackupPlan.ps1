function Get-VmmBackupPlan {
    $data = Get-VmmProcedureData
    $items = ConvertTo-VmmPlanItem -Id $data.Plans.Backup -Data $data
    if ($Automated) {
        $items = $items | Where-Object { $_.Automated }
    }
    $items
}
