function Get-VmmSqlSetting {
    <#
    .SYNOPSIS
        The SQL Server instance and database VMM uses, from the Sql subkey of the VMM settings in the registry.
    .DESCRIPTION
        Returns @{ SqlServer = 'machine' or 'machine\instance'; Database; MachineName; InstanceName }, or $null
        when the Sql subkey is absent (or the registry cannot be read, with the reason in the verbose stream).
        An instance name of MSSQLSERVER (the default instance) is left out of SqlServer.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param()

    $layout = Get-VmmRegistryLayout
    try {
        $record = @(Read-VmmRegistryTree -Path ($layout.SettingsKey + '\' + $layout.SqlSubkey) -NoRecurse)
    } catch {
        Write-Verbose "Cannot read the VMM database settings from the registry: $($_.Exception.Message)"
        return $null
    }
    if ($record.Count -eq 0) { return $null }
    $values = @{}
    foreach ($value in @($record[0].Values)) { $values[[string]$value.Name] = $value.Data }
    $machine = [string]$values[$layout.SqlServerValue]
    $instance = [string]$values[$layout.SqlInstanceValue]
    $database = [string]$values[$layout.SqlDatabaseValue]
    $server = $machine
    if ($machine.Length -gt 0 -and $instance.Length -gt 0 -and $instance -ne 'MSSQLSERVER') { $server = $machine + '\' + $instance }
    if ($server.Length -eq 0) { $server = $null }
    if ($database.Length -eq 0) { $database = $null }
    @{ SqlServer = $server; Database = $database; MachineName = $machine; InstanceName = $instance }
}
